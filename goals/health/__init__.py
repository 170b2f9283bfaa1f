"""Where the steering chain is broken: the kinds of finding and their thresholds (one table), the
findings of a year in a part of the group, counted per organisation and kind, and their Excel
export. ``docs/chain-health.md`` explains each kind to users and auditors."""

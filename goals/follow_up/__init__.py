"""How a goal went: each decided goal's follow-up in the reporting periods of its year, its workflow
and services, the grades the indicators suggest (``grading``), the report (``reporting``) and its
Excel export (``report_export``)."""

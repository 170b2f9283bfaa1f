"""What measures a goal: indicators, their targets and measured values, the trend pages' queries and
charts (``trends``), and the imports of values from a file (``file_import``) and from Kolada
(``kolada``), both stored through ``upsert``."""

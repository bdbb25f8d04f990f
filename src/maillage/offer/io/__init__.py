"""Import and export of the support offer.

- `columns` / `cells`: the column spec shared by the CSV, XLSX and ODS files,
  and the text syntax of each cell (`|`-separated slugs, typed zones…);
- `tabular`: reading and writing those files;
- `records`: the database as values by field, for exports and comparisons;
- `importer`: validate every row first, then write in one transaction;
- `datainclusion` / `datainclusion_map`: the data·inclusion v1 schema;
- `files`: the entry points of `maillage offer import|export`.

See docs/adr/006-import-export-data-inclusion.md.
"""

"""The official form and the models: sections, tables, labels and cell ids; sessions and reports; numbers,
errors, file locations. The bottom layer: imports nothing of report_wizard outside core."""

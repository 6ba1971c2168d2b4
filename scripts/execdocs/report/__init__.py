"""The execution report page (bao-cao.md), made from report.json at every build."""

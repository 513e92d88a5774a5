"""csc-kpis: children's social care KPIs for councils under an Improvement Notice."""

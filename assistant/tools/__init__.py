"""The jobs of the three user groups: compare, gap analysis, briefing packs, training Q&A."""

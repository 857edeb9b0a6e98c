"""Policy interpretation rules (政策解读, appraisal 8.4): interp.column-missing, interp.unlinked,
interp.missing, interp.late, interp.form-diversity. The shared analysis is InterpPairs (checks/analyses/interp.py)."""

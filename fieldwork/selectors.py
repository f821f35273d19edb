"""What the field-work pages read (DESIGN.md: read-side query logic in selectors), by part: the handyman's agenda and
the households without a next visit; the coordinator's workload per handyman and week."""

# --- The handyman's agenda ------------------------------------------------------------------------------------


# --- The coordinator's workload -------------------------------------------------------------------------------

"""Is a school ready for its SRO? The dashboard's lines and the district table."""

"""The CRM domain: items, pipelines, stages, clients, staff, CRM mode, and their storage."""

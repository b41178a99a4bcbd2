-- The CRM's mode (app_settings 'crm_mode': simple or classic) decides which entity types
-- are offered, and every list, search and new item asks for it: it is kept in memory with
-- the catalog (CatalogRepo), so a change to it moves the catalog's version like a change
-- to the types, pipelines and stages does (see 024_cache_versions.sql).
CREATE TRIGGER IF NOT EXISTS crm_mode_version_on_insert AFTER INSERT ON app_settings
WHEN NEW.key = 'crm_mode' BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER IF NOT EXISTS crm_mode_version_on_update AFTER UPDATE ON app_settings
WHEN NEW.key = 'crm_mode' OR OLD.key = 'crm_mode' BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER IF NOT EXISTS crm_mode_version_on_delete AFTER DELETE ON app_settings
WHEN OLD.key = 'crm_mode' BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

-- The CRM's mode moves the catalog's version (see ../032_mode_in_catalog_version.sql), with
-- the function the baseline's version triggers call.
CREATE OR REPLACE TRIGGER crm_mode_version_on_insert AFTER INSERT ON app_settings
    FOR EACH ROW WHEN (NEW.key = 'crm_mode') EXECUTE FUNCTION cache_version_bump('catalog');
CREATE OR REPLACE TRIGGER crm_mode_version_on_update AFTER UPDATE ON app_settings
    FOR EACH ROW WHEN (NEW.key = 'crm_mode' OR OLD.key = 'crm_mode')
    EXECUTE FUNCTION cache_version_bump('catalog');
CREATE OR REPLACE TRIGGER crm_mode_version_on_delete AFTER DELETE ON app_settings
    FOR EACH ROW WHEN (OLD.key = 'crm_mode') EXECUTE FUNCTION cache_version_bump('catalog');

"""Builds the paperwork parts of the automation from the settings: our company's details
for documents, the "document" channel (PDFs under DATA_DIR/documents, sent with the Bot)
and the "email" channel (SMTP), when a mail server is set up."""

from __future__ import annotations

from bot.settings import Settings
from crm.container import CrmServices
from rules.documents.config import Issuer, PaperworkConfig
from rules.documents.files import DocumentFiles
from rules.documents.transport import DocumentSender, DocumentTransport
from rules.email.config import SmtpConfig
from rules.email.transport import EmailTransport
from rules.ports import Transport


def paperwork_config(settings: Settings) -> PaperworkConfig:
    issuer = Issuer(settings.company_name, settings.company_address, settings.company_tax_id,
                    settings.company_iban, settings.company_bic, settings.company_bank,
                    settings.company_email)
    return PaperworkConfig(issuer, settings.tax_rate,
                           email_ready=bool(settings.smtp_host and settings.smtp_from))


def smtp_config(settings: Settings) -> SmtpConfig | None:
    if not (settings.smtp_host and settings.smtp_from):
        return None
    return SmtpConfig(host=settings.smtp_host, sender=settings.smtp_from,
                      port=settings.smtp_port, user=settings.smtp_user,
                      password=settings.smtp_password.get_secret_value(),
                      security=settings.smtp_security)


def paperwork_transports(services: CrmServices, settings: Settings, sender: DocumentSender
                         ) -> dict[str, Transport]:
    files = DocumentFiles(settings.data_dir / "documents", services.uow, services.clock)
    transports: dict[str, Transport] = {"document": DocumentTransport(files, sender)}
    smtp = smtp_config(settings)
    if smtp is not None:
        transports["email"] = EmailTransport(smtp, services.clock, files)
    return transports

"""The WhatsApp channel on the WhatsApp Cloud API (see docs/whatsapp.md)."""

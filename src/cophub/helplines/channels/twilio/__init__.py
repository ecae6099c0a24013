"""Twilio: inbound SMS and WhatsApp messages (``sms.py``), answered in TwiML, with
captured-shape payloads in ``fixtures/``."""

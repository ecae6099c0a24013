"""Africa's Talking: the USSD callback (``ussd.py``) and two-way SMS (``sms.py``), with
captured-shape payloads in ``fixtures/``."""

"""Verification campaigns (decision 0032): each helpline's verification contacts are asked, in
their language, through a signed, expiring, single-use link, to confirm their entry as
published or to propose a change, which BDT staff accept or reject."""

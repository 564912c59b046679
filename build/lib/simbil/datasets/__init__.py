"""Making data: benchmark pairs of CLEVR-like scenes, the object bank, the shipped photos."""

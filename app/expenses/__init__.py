"""Costs and pay: expense requests, advances, pay and compensation."""

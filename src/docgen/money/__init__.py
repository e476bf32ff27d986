"""Money: the calls' rates, the grant rules and calculation, the call's limits, the printout."""

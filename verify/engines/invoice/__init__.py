"""The invoice engine: line items, subtotals, tax and totals, checked with Z3.

``model`` reads invoice-shaped text or CSV into an invoice model; ``engine`` finds the invoice
claims in an answer and decides them, with a counterexample and the minimal correction.
"""

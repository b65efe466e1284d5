"""The invoice engine: line items, subtotals, tax and totals, checked with Z3.

``model`` holds the invoice model and reads JSON and CSV into it; ``text`` reads invoice-shaped
prose; ``checks`` recomputes every constraint exactly; ``analysis`` decides an invoice with Z3
and finds the proved minimal correction; ``engine`` finds the invoice claims in an answer.
"""

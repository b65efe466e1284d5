"""The grounding engine: prose claims checked against evidence passages or a knowledge base.

``world`` decides which sentences state facts about the world; ``judges`` rule on a claim
against passages; ``engine`` decomposes the answer, retrieves and asks the judge.
"""

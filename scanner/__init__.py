"""Find analog regulations (アナログ規制) in Japanese ordinances, rules and Acts."""

__version__ = "0.1.0"

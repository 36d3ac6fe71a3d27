"""Prices, discounts and totals. All amounts are integer cents."""

from __future__ import annotations

from shop.models import Cart


def apply_discount(amount_cents: int, percent: float) -> int:
    """Returns the amount after a percentage discount, rounded to the nearest cent."""
    if not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    return round(amount_cents * (100 - percent) / 100)


def cart_subtotal(cart: Cart) -> int:
    """Sum of every line before discounts."""
    return sum(item.subtotal_cents() for item in cart.items)


def cart_total(cart: Cart, discount_percent: float = 0.0) -> int:
    """The cart's total after an optional percentage discount."""
    return apply_discount(cart_subtotal(cart), discount_percent)


def format_cents(amount_cents: int, currency: str = "EUR") -> str:
    """Formats cents as `12.34 EUR`."""
    sign = "-" if amount_cents < 0 else ""
    whole, cents = divmod(abs(amount_cents), 100)
    return f"{sign}{whole}.{cents:02d} {currency}"

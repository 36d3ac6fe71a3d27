"""Checkout: reserve stock and produce an order summary."""

from __future__ import annotations

from dataclasses import dataclass

from shop.inventory import Inventory
from shop.models import Cart, ShopError
from shop.pricing import cart_total, format_cents


@dataclass(frozen=True)
class OrderSummary:
    lines: int
    total_cents: int
    weight_grams: int

    def describe(self) -> str:
        return f"{self.lines} line(s), {format_cents(self.total_cents)}, {self.weight_grams} g"


def checkout(cart: Cart, inventory: Inventory, discount_percent: float = 0.0) -> OrderSummary:
    """Reserves the cart's stock and returns the order summary."""
    if cart.is_empty():
        raise ShopError("cannot check out an empty cart")
    inventory.reserve(cart)
    return OrderSummary(
        lines=len(cart.items),
        total_cents=cart_total(cart, discount_percent),
        weight_grams=cart.total_weight_grams(),
    )

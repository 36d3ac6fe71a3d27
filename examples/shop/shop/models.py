"""Domain objects of the shop."""

from __future__ import annotations

from dataclasses import dataclass, field


class ShopError(Exception):
    """Base class of every error the shop raises."""


class OutOfStockError(ShopError):
    """Raised when a cart asks for more units than are in stock."""


@dataclass(frozen=True)
class Product:
    """A product with a price in cents and a shipping weight in grams."""

    sku: str
    name: str
    price_cents: int
    weight_grams: int = 0

    def __post_init__(self) -> None:
        if self.price_cents < 0:
            raise ValueError("price_cents must not be negative")
        if self.weight_grams < 0:
            raise ValueError("weight_grams must not be negative")


@dataclass
class LineItem:
    """A product and how many of it."""

    product: Product
    quantity: int = 1

    def subtotal_cents(self) -> int:
        """Price of this line before discounts."""
        return self.product.price_cents * self.quantity


@dataclass
class Cart:
    """A customer's cart."""

    items: list[LineItem] = field(default_factory=list)

    def add(self, product: Product, quantity: int = 1) -> LineItem:
        """Adds a product, merging with an existing line for the same SKU."""
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        for item in self.items:
            if item.product.sku == product.sku:
                item.quantity += quantity
                return item
        item = LineItem(product, quantity)
        self.items.append(item)
        return item

    def total_weight_grams(self) -> int:
        """Shipping weight of everything in the cart."""
        return sum(item.product.weight_grams * item.quantity for item in self.items)

    def is_empty(self) -> bool:
        return not self.items

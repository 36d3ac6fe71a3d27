"""A small shop: products, carts, pricing and stock. Standard library only."""

from shop.models import Product, LineItem, Cart
from shop.pricing import cart_total, apply_discount

__all__ = ["Product", "LineItem", "Cart", "cart_total", "apply_discount"]

"""Stock levels, kept in SQLite (standard library)."""

from __future__ import annotations

import sqlite3

from shop.models import Cart, OutOfStockError, Product


class Inventory:
    """Stock per SKU in a SQLite database (in memory by default)."""

    def __init__(self, path: str = ":memory:") -> None:
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS stock (sku TEXT PRIMARY KEY, units INTEGER NOT NULL)")

    def restock(self, product: Product, units: int) -> int:
        """Adds units of a product and returns the new level."""
        if units <= 0:
            raise ValueError("units must be positive")
        with self._db:
            self._db.execute(
                "INSERT INTO stock (sku, units) VALUES (?, ?) "
                "ON CONFLICT(sku) DO UPDATE SET units = units + excluded.units",
                (product.sku, units),
            )
        return self.units(product.sku)

    def units(self, sku: str) -> int:
        """Units in stock for a SKU (0 when unknown)."""
        row = self._db.execute("SELECT units FROM stock WHERE sku = ?", (sku,)).fetchone()
        return row[0] if row else 0

    def reserve(self, cart: Cart) -> None:
        """Takes every line of the cart out of stock, or nothing if any line is short."""
        with self._db:
            for item in cart.items:
                available = self.units(item.product.sku)
                if available < item.quantity:
                    raise OutOfStockError(f"{item.product.sku}: {available} in stock, {item.quantity} wanted")
                self._db.execute(
                    "UPDATE stock SET units = units - ? WHERE sku = ?", (item.quantity, item.product.sku)
                )

    def close(self) -> None:
        self._db.close()

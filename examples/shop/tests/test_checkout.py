import pytest

from shop.checkout import checkout
from shop.models import Cart, OutOfStockError, ShopError


def test_checkout_reserves_stock_and_summarises(book, inventory):
    inventory.restock(book, 5)
    cart = Cart()
    cart.add(book, 2)
    summary = checkout(cart, inventory)
    assert summary.total_cents == 3998
    assert inventory.units("BK-1") == 3
    assert summary.describe() == "1 line(s), 39.98 EUR, 800 g"


def test_checkout_is_all_or_nothing(book, mug, inventory):
    inventory.restock(book, 5)
    inventory.restock(mug, 1)
    cart = Cart()
    cart.add(book, 1)
    cart.add(mug, 2)
    with pytest.raises(OutOfStockError):
        checkout(cart, inventory)
    assert inventory.units("BK-1") == 5


def test_empty_cart_cannot_check_out(inventory):
    with pytest.raises(ShopError):
        checkout(Cart(), inventory)

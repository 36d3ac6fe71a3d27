import pytest

from shop.models import Cart, Product


def test_add_merges_lines_for_the_same_sku(book):
    cart = Cart()
    cart.add(book)
    cart.add(book, 2)
    assert len(cart.items) == 1
    assert cart.items[0].quantity == 3


def test_total_weight_counts_quantities(book, mug):
    cart = Cart()
    cart.add(book, 2)
    cart.add(mug)
    assert cart.total_weight_grams() == 2 * 400 + 350


def test_negative_price_is_rejected():
    with pytest.raises(ValueError):
        Product(sku="X", name="X", price_cents=-1)


def test_quantity_must_be_positive(book):
    with pytest.raises(ValueError):
        Cart().add(book, 0)

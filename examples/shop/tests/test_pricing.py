import pytest

from shop.models import Cart
from shop.pricing import apply_discount, cart_total, format_cents


def test_discount_rounds_to_cents():
    assert apply_discount(999, 10) == 899


def test_discount_out_of_range():
    with pytest.raises(ValueError):
        apply_discount(100, 120)


def test_cart_total_with_discount(book, mug):
    cart = Cart()
    cart.add(book)
    cart.add(mug, 2)
    assert cart_total(cart) == 1999 + 1700
    assert cart_total(cart, 50) == round((1999 + 1700) / 2)


@pytest.mark.parametrize("cents,text", [(0, "0.00 EUR"), (1234, "12.34 EUR"), (-5, "-0.05 EUR")])
def test_format_cents(cents, text):
    assert format_cents(cents) == text

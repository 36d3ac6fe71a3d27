import pytest

from shop.inventory import Inventory
from shop.models import Product


@pytest.fixture
def book() -> Product:
    return Product(sku="BK-1", name="Book", price_cents=1999, weight_grams=400)


@pytest.fixture
def mug() -> Product:
    return Product(sku="MG-1", name="Mug", price_cents=850, weight_grams=350)


@pytest.fixture
def inventory():
    inv = Inventory()
    yield inv
    inv.close()

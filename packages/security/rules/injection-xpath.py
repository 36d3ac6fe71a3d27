from lxml import etree


def find_user(tree, name):
    # ruleid: xpath-injection
    return tree.xpath(f"//user[@name='{name}']")


def find_user2(tree, name):
    # ruleid: xpath-injection
    return tree.xpath("//user[@name='" + name + "']")


def find_user_ok(tree, name):
    # ok: xpath-injection
    return tree.xpath("//user[@name=$name]", name=name)


def find_all_ok(tree):
    # ok: xpath-injection
    return tree.findall("./item")


def find_indirect(tree, sku):
    expr = "//product[@sku='%s']/price" % sku
    # ruleid: xpath-injection
    return tree.xpath(expr)

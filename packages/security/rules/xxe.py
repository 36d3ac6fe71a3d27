import xml.etree.ElementTree

import defusedxml.ElementTree
from lxml import etree


def parse(data):
    # ruleid: xxe-lxml-entities
    parser = etree.XMLParser(resolve_entities=True)
    return etree.fromstring(data, parser)


def parse_ok(data):
    # ok: xxe-lxml-entities
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def parse_std(data):
    # ruleid: xxe-stdlib-parser
    return xml.etree.ElementTree.fromstring(data)


def parse_defused(data):
    # ok: xxe-stdlib-parser
    return defusedxml.ElementTree.fromstring(data)

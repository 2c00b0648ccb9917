from rest_framework import parsers
from rest_framework.exceptions import ParseError

from seguimiento.json_seguro import JSONInvalido, leer


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, through ``json_seguro``: deep nesting, NULs and lone surrogates are a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return leer(stream.read())
        except JSONInvalido as error:
            raise ParseError(str(error)) from None

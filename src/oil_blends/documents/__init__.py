"""Request and response documents: the layer between the interfaces (api, web, cli) and the engine.

It parses and validates what people and apps send (schemas, units, recipe files, the shipped catalog),
turns it into engine objects, and turns results and refusals back into plain documents and words. It imports
no Flask and no database: every interface uses it the same way.
"""

"""The baseline for the API throughput benchmark: a bare Flask app that echoes a JSON body."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/echo")
def echo():
    return jsonify(request.get_json())

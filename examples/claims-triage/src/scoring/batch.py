"""Nightly batch: loads the feature encoder and the ONNX model, writes one review flag per claim."""
import joblib
import onnxruntime as ort

from .api import flag

encoder = joblib.load("artifacts/encoder.joblib")
session = ort.InferenceSession("artifacts/triage-xgb.onnx")


def score(rows):
    features = encoder.transform(rows)
    scores = session.run(None, {"input": features})[0][:, 1]
    return [flag(s) for s in scores]

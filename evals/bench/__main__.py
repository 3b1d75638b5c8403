from evals.bench.main import main

raise SystemExit(main())

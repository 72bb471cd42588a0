// Tests here start real processes and count this process's children: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

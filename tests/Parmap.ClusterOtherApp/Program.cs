// Does nothing in its own right: in node mode (PARMAP_CLUSTER set) the startup hook makes it a node before Main runs.
Console.WriteLine("not a node");

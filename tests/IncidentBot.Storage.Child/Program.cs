using IncidentBot.Storage.Child;

// A second process for the LiteDB store's tests (started by IncidentBot.Storage.Tests, killed by them):
//   hold <file>           open the store, print "ready", keep it open until stdin closes
//   write <file>          write whole declarations in a loop, printing "ack <number>" after each returned
return await ChildCommands.RunAsync(args, Console.Out, Console.In);

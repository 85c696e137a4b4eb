using Rsmi.Cli;

return CliApp.Run(args);

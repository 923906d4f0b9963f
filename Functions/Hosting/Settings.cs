using Microsoft.Extensions.Options;

namespace ServerlessWorkflow.Functions.Hosting;

/// <summary>
/// Every configuration section is bound, validated and checked when the handler starts
/// (<c>ValidateOnStart</c>): a bad value stops the start with a message naming the setting as it is
/// set — an environment variable, <c>Section__Name</c> — instead of failing at first use. A value
/// of the wrong type (<c>Escalation__SendHour=seven</c>) stops it too, in the binder's words.
/// </summary>
public static class Settings
{
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, string section, Action<T, SettingsCheck> validate)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new Validator<T>(section, validate));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class Validator<T>(string section, Action<T, SettingsCheck> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var check = new SettingsCheck(section);
            validate(options, check);
            return check.Failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(check.Failures);
        }
    }
}

/// <summary>Collects what is wrong with one section, each failure naming its setting.</summary>
public sealed class SettingsCheck(string section)
{
    private readonly List<string> _failures = [];

    public IReadOnlyList<string> Failures => _failures;

    /// <summary>The setting's name as an environment variable: <c>Escalation__SendHour</c>.</summary>
    public string Name(string setting) => $"{section}__{setting}";

    /// <summary>Records "<c>Section__Setting</c> <paramref name="problem"/>" unless <paramref name="holds"/>.</summary>
    public void That(bool holds, string setting, string problem)
    {
        if (!holds)
        {
            _failures.Add($"{Name(setting)} {problem}");
        }
    }
}

namespace ServerlessWorkflow.Domain.Common;

/// <summary>What kind of expected failure an <see cref="Error"/> is; the HTTP layer maps each to one status.</summary>
public enum ErrorKind
{
    /// <summary>The input breaks a rule; <see cref="Error.Fields"/> says which field and why.</summary>
    Validation,

    /// <summary>The thing asked for does not exist (or may not be revealed).</summary>
    NotFound,

    /// <summary>The request conflicts with the current state (a concurrent change, a forbidden transition).</summary>
    Conflict,

    /// <summary>The thing existed and is no longer there for the asker (a unit's link the office replaced with a new one).</summary>
    Gone,
}

/// <summary>One field's problem: the field's path (<c>tasks[0].deadline</c>), a stable machine code, and a Vietnamese message for people.</summary>
public sealed record FieldError(string Field, string Code, string Message);

/// <summary>An expected failure: a value, not an exception.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Message, IReadOnlyList<FieldError> Fields)
{
    public static Error Validation(IReadOnlyList<FieldError> fields) =>
        new(ErrorKind.Validation, "validation", "Dữ liệu gửi lên chưa hợp lệ.", fields);

    public static Error Validation(string field, string code, string message) => Validation([new FieldError(field, code, message)]);

    public static Error NotFound(string code, string message) => new(ErrorKind.NotFound, code, message, []);

    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message, []);

    public static Error Gone(string code, string message) => new(ErrorKind.Gone, code, message, []);
}

/// <summary>A value or an <see cref="Error"/>.</summary>
public readonly record struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"The result is an error: {Error!.Code}.");

    public static Result<T> Success(T value) => new(value, null);

    public static Result<T> Failure(Error error) => new(default, error);

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(Error error) => Failure(error);

    public TOut Match<TOut>(Func<T, TOut> success, Func<Error, TOut> failure) => IsSuccess ? success(_value!) : failure(Error!);
}

/// <summary>Collects field errors while validating many fields, so the caller hears about all of them at once.</summary>
public sealed class Validation
{
    private readonly List<FieldError> _errors = [];

    public bool HasErrors => _errors.Count > 0;

    public IReadOnlyList<FieldError> Errors => _errors;

    public void Add(string field, string code, string message) => _errors.Add(new FieldError(field, code, message));

    public void AddRange(IEnumerable<FieldError> errors) => _errors.AddRange(errors);

    /// <summary>The value when a result succeeded; otherwise records its field errors under <paramref name="field"/> and gives default.</summary>
    public T? Take<T>(Result<T> result, string field)
    {
        if (result.IsSuccess)
        {
            return result.Value;
        }

        foreach (var error in result.Error!.Fields.Count > 0 ? result.Error.Fields : [new FieldError(field, result.Error.Code, result.Error.Message)])
        {
            _errors.Add(error with { Field = string.IsNullOrEmpty(error.Field) ? field : error.Field });
        }

        return default;
    }

    public Error ToError() => Error.Validation(_errors);
}

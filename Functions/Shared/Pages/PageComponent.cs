using Microsoft.AspNetCore.Components;

namespace ServerlessWorkflow.Functions.Shared.Pages;

/// <summary>
/// A page: a Razor component rendered on the server from one model that its endpoint computed
/// before rendering (the markup formats, it does not query).
/// </summary>
public abstract class PageComponent<TModel> : ComponentBase
    where TModel : class
{
    [Parameter, EditorRequired]
    public TModel Model { get; set; } = null!;
}

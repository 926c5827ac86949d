namespace CharRnn.Web.Data;

public enum RunStatus { Queued, Running, Completed, Failed, Cancelled, Interrupted }

package org.lwp4j;

/** Which children {@link Proc#wait(IdType, int, int)} selects ({@code idtype_t}). */
public enum IdType {
    /** The child whose pid is {@code id}; {@code id == 0} means any child in the caller's group. */
    P_PID,
    /** Children in process group {@code id}; {@code id == 0} means the caller's group. */
    P_PGID,
    /** Children in session {@code id}. */
    P_SID,
    /** Children whose uid is {@code id}. */
    P_UID,
    /** Children whose gid is {@code id}. */
    P_GID,
    /** Any child; {@code id} is ignored. */
    P_ALL
}

/* Descriptions of the shared error codes. */
#include "err.h"

const char *
ibx_strerror(ibx_err err)
{
	switch (err) {
	case IBX_OK:
		return ("ok");
	case IBX_ENOMEM:
		return ("out of memory");
	case IBX_EINVAL:
		return ("invalid input");
	case IBX_EMALFORMED:
		return ("malformed message");
	case IBX_EIO:
		return ("input/output error");
	case IBX_ETIMEDOUT:
		return ("timed out");
	case IBX_ECLOSED:
		return ("closed");
	case IBX_EDB:
		return ("database error");
	case IBX_EDBDOWN:
		return ("database unavailable");
	case IBX_ENOTFOUND:
		return ("not found");
	case IBX_ECRYPTO:
		return ("cryptographic check failed");
	case IBX_ETOOBIG:
		return ("too large");
	case IBX_EREFUSED:
		return ("refused by peer");
	}
	return ("unknown error");
}
